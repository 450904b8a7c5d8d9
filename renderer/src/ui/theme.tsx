// The app's look, and what makes it readable for everyone (WCAG 2.2 AA, checked by axe-core in the
// end-to-end suite): text at 4.5:1 or more on its background, and every icon-only button named.
import {
  createTheme,
  darken,
  defaultVariantColorsResolver,
  luminance,
  parseThemeColor,
  Pill,
  type CSSVariablesResolver,
  type ComboboxRenderPillInput,
  type VariantColorsResolver,
} from '@mantine/core';

/** A MultiSelect or TagsInput pill whose "×" says what it removes ("Remove Meals withheld"). */
export function namedPill({ option, value, onRemove, disabled, reorderProps }: ComboboxRenderPillInput<string>) {
  const label = option?.label ?? String(value);
  return (
    <Pill
      withRemoveButton={!disabled && !option?.disabled}
      {...(onRemove ? { onRemove } : {})}
      disabled={Boolean(disabled)}
      removeButtonProps={{ 'aria-label': `Remove ${label}` }}
      {...reorderProps}
    >
      {label}
    </Pill>
  );
}

/** Contrast ratio of white and of black text on a background of this relative luminance. */
const onWhite = (l: number) => 1.05 / (l + 0.05);
const onBlack = (l: number) => (l + 0.05) / 0.05;

/**
 * Filled badges and buttons: white text where it reads at 4.5:1, else black (orange, yellow, the
 * lighter greens and reds at the filled shade). Everything else as Mantine draws it.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'filled') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  const shade = parsed.shade ?? (typeof input.theme.primaryShade === 'number' ? input.theme.primaryShade : input.theme.primaryShade.light);
  const l = luminance(input.theme.colors[parsed.color]![shade]!);
  return onWhite(l) >= 4.5 || onWhite(l) >= onBlack(l) ? colors : { ...colors, color: 'var(--mantine-color-black)' };
};

/** A list of options at most 220 px tall, scrolling itself. */
const OPTIONS = { maxHeight: 220, overflowY: 'auto' } as const;

// Calm and legible: one accent colour, quiet greys, system fonts with Noto for Arabic.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 7,
  defaultRadius: 'sm',
  respectReducedMotion: true,
  variantColorResolver,
  fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif',
  headings: { fontWeight: '600' },
  components: {
    Badge: { styles: { root: { textTransform: 'none', fontWeight: 600 } } },
    TextInput: { defaultProps: { size: 'sm' } },
    Textarea: { defaultProps: { size: 'sm' } },
    // Icon-only buttons the library draws get a name a screen reader can say.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Alert: { defaultProps: { closeButtonLabel: 'Close' } },
    // A navigation link without an address (the app has no URLs) is a button, so Tab reaches it: an
    // <a> with no href takes no focus.
    NavLink: { defaultProps: { component: 'button' } as Record<string, unknown>, styles: { root: { textAlign: 'start' } } },
    // A select's options scroll in the list box itself (the arrow keys move through it from the
    // field), not in a scroll area inside it that the keyboard cannot reach.
    Select: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear' }, withScrollArea: false }, styles: { options: OPTIONS } },
    MultiSelect: {
      defaultProps: { renderPill: namedPill, clearButtonProps: { 'aria-label': 'Clear all' }, withScrollArea: false },
      styles: { options: OPTIONS },
    },
    TagsInput: {
      defaultProps: { renderPill: namedPill, clearButtonProps: { 'aria-label': 'Clear all' }, withScrollArea: false },
      styles: { options: OPTIONS },
    },
    Autocomplete: { defaultProps: { withScrollArea: false }, styles: { options: OPTIONS } },
  },
});

/**
 * Mantine's light scheme draws dimmed text in gray 6 (3.3:1 on white), light badges and alerts in
 * shade 9 on shade 1 (3.6–3.8:1 for green and orange), coloured text and outlines in the filled
 * shade (3:1 for teal and orange): each is darkened until it passes 4.5:1.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.entries(t.colors).flatMap(([name, shades]) => [
        [`--mantine-color-${name}-light-color`, darken(shades[9], 0.3)],
        [`--mantine-color-${name}-text`, darken(shades[9], 0.15)],
        [`--mantine-color-${name}-outline`, darken(shades[9], 0.15)],
      ]),
    ),
  },
  dark: {},
});
