import type { HandlersFor } from './types';

// The vault, the audit check and backups all go through the vault, which owns the connection.
export const vaultHandlers: HandlersFor<'vault:'> = {
  'vault:status': (_input, ctx) => ctx.vault.status(),
  'vault:setup': (input, ctx) => ctx.vault.setup('passphrase' in input ? input.passphrase : null),
  'vault:unlock': ({ passphrase }, ctx) => ctx.vault.unlock(passphrase),
  'vault:rekey': ({ current, next }, ctx) => ctx.vault.rekey(current, next),
};

export const auditHandlers: HandlersFor<'audit:'> = {
  'audit:verify': ({ full, against }, ctx) => ctx.vault.verify({ full, ...(against ? { against } : {}) }),
};

export const backupHandlers: HandlersFor<'backup:'> = {
  'backup:create': ({ folder }, ctx) => ctx.vault.backupNow(folder),
  'backup:list': (_input, ctx) => ctx.vault.listBackups(),
  'backup:restore': ({ file, passphrase, acceptLoss }, ctx) => ctx.vault.restore(file, passphrase, acceptLoss ?? false, ctx.user),
  'backup:settings': (_input, ctx) => ctx.vault.backupSettings(),
  'backup:configure': (input, ctx) => {
    const change = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    return ctx.vault.configureBackups(change, ctx.user);
  },
};
