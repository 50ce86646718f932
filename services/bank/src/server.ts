import { runService } from '@nestegg/platform'
import { buildApp } from './app.js'
import { loadBankConfig } from './config.js'

const app = await runService({
  name: 'bank',
  loadConfig: () => loadBankConfig(),
  build: (config) => buildApp(config),
  listenOn: (config) => ({ port: config.PORT, host: config.HOST, publicUrl: config.BANK_URL })
})

// An emergency key withdrawal, or a rotation step, without a restart: re-read the key files and tell
// every party of a withdrawn kid (docs/security.md).
process.on('SIGHUP', () => {
  const result = app.reloadSigningKeys()
  app.log.info({ kids: result.kids, withdrawn: result.withdrawn }, 'SIGHUP: signing keys re-read')
})
