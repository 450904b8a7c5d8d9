import '@mantine/core/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { VaultGate } from './features/vault/vault-gate';
import { cssVariablesResolver, theme } from './ui/theme';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <VaultGate>
        <App />
      </VaultGate>
    </MantineProvider>
  </StrictMode>,
);
