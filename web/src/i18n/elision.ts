// Italian elision before numbers, applied to every Italian message (see index.ts).

/**
 * Italian elides the articulated prepositions before a number read with a vowel: «dall’8
 * dicembre», «all’11», «dell’8» (not «dal 8»). The numbers that start with a vowel sound are
 * those starting with 8 (otto, ottanta…) and 11 (undici); 1 (uno) is written «dal 1°» in
 * dates but read «primo», so it keeps the plain form.
 */
export function elideItalian(text: string): string {
  return text.replace(/(^|[\s(«])(d|D)?(al|el|nel|sul) (?=(8|11)(?!\d{2}\b)|(8\d)\b)/g, (_m, before: string, d: string | undefined, prep: string) => {
    const head = `${d ?? ''}${prep}`;
    return `${before}${head}l’`;
  });
}
