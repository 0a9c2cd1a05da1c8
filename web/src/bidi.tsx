// User data in mixed scripts: a name in Arabic script inside an Italian sentence, a Latin
// spelling or an e-mail inside an Arabic one. Each piece of user data is isolated so that its
// direction neither takes nor gives order to the text around it (Unicode Bidirectional
// Algorithm, UAX #9, §2.7): `<bdi>` in markup, `dir="auto"` on fields, and the first strong
// isolate … pop directional isolate pair (U+2068 … U+2069) where a plain string must be built
// (an `<option>`'s text, a `title`).
/** `text` between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE. */
export function isolate(text: string): string {
  return text ? `\u2068${text}\u2069` : text;
}

/** A person's names as written, and their Latin spelling when it differs (or none). */
export function nameParts(p: { givenNames: string; familyNames: string; latinGivenNames?: string; latinFamilyNames?: string }): {
  own: string;
  latin: string | null;
} {
  const own = `${p.givenNames} ${p.familyNames}`.trim();
  const latin = `${p.latinGivenNames ?? ''} ${p.latinFamilyNames ?? ''}`.trim();
  return { own, latin: latin && latin !== own ? latin : null };
}

/** The names for a plain string (an option's text): `own (latin)`, each part isolated. */
export function isolatedName(p: Parameters<typeof nameParts>[0]): string {
  const { own, latin } = nameParts(p);
  return latin ? `${isolate(own)} (${isolate(latin)})` : isolate(own);
}

/** The names in markup: `<bdi>own</bdi> (<bdi>latin</bdi>)`. */
export function PersonName({ person }: { person: Parameters<typeof nameParts>[0] }) {
  const { own, latin } = nameParts(person);
  return (
    <>
      <bdi>{own}</bdi>
      {latin && (
        <>
          {' ('}
          <bdi>{latin}</bdi>
          {')'}
        </>
      )}
    </>
  );
}
