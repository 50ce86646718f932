import { runService } from '@nestegg/platform'
import { buildApp } from './app.js'
import { loadRetirementConfig } from './config.js'

await runService({
  name: 'retirement',
  loadConfig: () => loadRetirementConfig(),
  build: (config) => buildApp(config),
  listenOn: (config) => ({ port: config.PORT, host: config.HOST, publicUrl: config.RETIREMENT_URL })
})
