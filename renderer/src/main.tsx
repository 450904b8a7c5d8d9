import '@mantine/core/styles.css';
import './app.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { VaultGate } from './features/vault/vault-gate';

// Calm and legible: one accent colour, quiet greys, system fonts with Noto for Arabic.
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 7,
  defaultRadius: 'sm',
  respectReducedMotion: true,
  fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif',
  headings: { fontWeight: '600' },
  components: {
    Badge: { styles: { root: { textTransform: 'none', fontWeight: 600 } } },
    TextInput: { defaultProps: { size: 'sm' } },
    Textarea: { defaultProps: { size: 'sm' } },
  },
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
