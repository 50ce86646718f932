import { runService } from '@nestegg/platform'
import { buildApp } from './app.js'
import { loadBankConfig } from './config.js'

await runService({
  name: 'bank',
  loadConfig: () => loadBankConfig(),
  build: (config) => buildApp(config),
  listenOn: (config) => ({ port: config.PORT, host: config.HOST, publicUrl: config.BANK_URL }),
  // An emergency key withdrawal, or a rotation step, without a restart: SIGHUP re-reads the key
  // files and tells every party of a withdrawn kid (docs/security.md).
  onReload: (app) => { app.reloadSigningKeys() }
})

