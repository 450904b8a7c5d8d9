import '@mantine/core/styles.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { VaultGate } from './vault/VaultGate';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", sans-serif',
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <VaultGate>
        <App />
      </VaultGate>
    </MantineProvider>
  </StrictMode>,
);
