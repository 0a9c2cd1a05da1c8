// Messages of the volunteers' register screens, under `volunteers.register`. Italian first; every other
// language has the same shape.
const it = {};

export type Messages = typeof it;

export default { it, en: it satisfies Messages, fr: it satisfies Messages, ro: it satisfies Messages, ar: it satisfies Messages };
