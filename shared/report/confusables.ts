// Letters of other scripts that look like Latin ones, after lower-casing, each with the Latin letter
// it passes for: the part of the Unicode TR39 confusables skeleton that matters for names typed
// in Latin letters (Cyrillic and Greek look-alikes, and Latin letters NFKD does not take apart).
// One letter for one letter, so a match still maps back to the characters it came from. The
// npm confusables packages map to multi-letter sequences ("m" to "rn"), which breaks that mapping,
// and apply to every script; here only matching uses it, the text shown keeps its letters.
export const CONFUSABLE_LATIN: Readonly<Record<string, string>> = {
  // Cyrillic
  'а': 'a', 'б': 'b', 'в': 'b', 'г': 'r', 'д': 'd', 'е': 'e', 'ё': 'e', 'з': 'z', 'и': 'u', 'й': 'u', 'к': 'k', 'м': 'm', 'н': 'h',
  'о': 'o', 'п': 'n', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ь': 'b', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'һ': 'h',
  'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ү': 'y', 'ґ': 'r', 'ɡ': 'g', 'ѵ': 'v', 'ꙇ': 'i',
  // Greek
  'α': 'a', 'β': 'b', 'γ': 'y', 'δ': 'd', 'ε': 'e', 'ζ': 'z', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
  'σ': 'o', 'ς': 'c', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w', 'ϲ': 'c', 'ϳ': 'j', 'ϝ': 'f',
  // Latin letters without a decomposition
  'ı': 'i', 'ȷ': 'j', 'ł': 'l', 'ø': 'o', 'đ': 'd', 'ħ': 'h', 'ŧ': 't', 'ƀ': 'b', 'ɨ': 'i', 'ʉ': 'u', 'ɑ': 'a', 'ɩ': 'i', 'ʏ': 'y',
  'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ɢ': 'g', 'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n',
  'ᴏ': 'o', 'ᴘ': 'p', 'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z',
};

/** Capital letters whose lower case looks different from the capital (Greek Η is an H, η an n). */
export const CONFUSABLE_CAPITALS: Readonly<Record<string, string>> = {
  'Η': 'h', 'Ν': 'n', 'Μ': 'm', 'Ρ': 'p', 'Χ': 'x', 'Υ': 'y', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Ι': 'i', 'Κ': 'k', 'Τ': 't', 'Α': 'a', 'Ο': 'o',
  'В': 'b', 'Н': 'h', 'М': 'm', 'Т': 't', 'К': 'k', 'Р': 'p', 'С': 'c', 'Х': 'x', 'У': 'y', 'Г': 'r', 'И': 'n', 'П': 'n',
};
