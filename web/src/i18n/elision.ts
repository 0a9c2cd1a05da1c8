// Italian elision before numbers, applied to every Italian message (see index.ts).

/**
 * Italian elides the article and the articulated prepositions before a number read with a
 * vowel: «l’8 dicembre», «dall’8», «all’11», «dell’8» (not «il 8», «dal 8»). The numbers that
 * start with a vowel sound are those starting with 8 (otto, ottanta, ottocento…) and 11
 * (undici, but not 110–119, centodieci…); 1 (uno) is written «il 1°» in dates but read
 * «primo», so it keeps the plain form.
 */
export function elideItalian(text: string): string {
  return text.replace(
    /(^|[\s(«'’])(il|Il|d?al|D?al|d?el|D?el|nel|Nel|sul|Sul) (?=8|11(?!\d))/g,
    (_m, before: string, word: string) => {
      const elided = word === 'il' ? 'l' : word === 'Il' ? 'L' : `${word}l`;
      return `${before}${elided}’`;
    },
  );
}
