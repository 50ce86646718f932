import { runService } from '@nestegg/platform'
import { buildApp } from './app.js'
import { loadBankConfig } from './config.js'

await runService({
  name: 'bank',
  loadConfig: () => loadBankConfig(),
  build: (config) => buildApp(config),
  listenOn: (config) => ({ port: config.PORT, host: config.HOST, publicUrl: config.BANK_URL })
})
