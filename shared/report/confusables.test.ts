// The look-alike letters (confusables.ts) as the name matcher reads them: each written out here with
// the Latin letter it passes for, so a letter dropped from the table, or mapped to another, fails.
import { describe, expect, it } from 'vitest';
import { fold } from './redact';

describe('look-alike letters', () => {
  it('reads Cyrillic letters that pass for Latin ones as those', () => {
    expect(fold('абвгдеёзийкмнопрстухьѕіїјһԁԛԝӏүґɡѵꙇ').text).toBe('abbrdeezuukmhonpctyxbsiijhdqwlyrgvi');
  });

  it('reads Greek letters that pass for Latin ones as those', () => {
    expect(fold('αβγδεζηικμνορσςτυχωϲϳϝ').text).toBe('abydeznikuvopoctuxwcjf');
  });

  it('reads Latin letters without a decomposition, and small capitals, as the plain letter', () => {
    expect(fold('ıȷłøđħŧƀɨʉɑɩʏ').text).toBe('ijlodhtbiuaiy');
    expect(fold('ᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡᴢ').text).toBe('abcdeghijklmnoprstuvwz');
  });

  it('reads a capital by its own look, not by its lower case', () => {
    expect(fold('ΗΝΜΡΧΥΒΕΖΙΚΤΑΟ').text).toBe('hnmpxybeziktao');
    expect(fold('ВНМТКРСХУГИП').text).toBe('bhmtkpcxyrnn');
  });

  it('finds a name typed with look-alike letters, one letter for one', () => {
    const f = fold('Officer Нaddаd, ΥUSUF and Вarzanі.');
    expect(f.text).toBe('officer haddad, yusuf and barzani.');
    expect(f.map).toBe(null);
  });

  it('leaves letters of other scripts that pass for no Latin letter as they are', () => {
    expect(fold('жшщэюя λπφψ').text).toBe('жшщэюя λπφψ');
  });
});
