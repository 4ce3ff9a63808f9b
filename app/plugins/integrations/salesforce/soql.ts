/**
 * Building SOQL safely. Values go into single-quoted string literals with SOQL's own escape
 * sequences; nothing typed by a customer can end the literal or add a clause.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/**
 * A SOQL string literal, quotes included: `O'Hara` → `'O\'Hara'`. For `=` comparisons (not LIKE,
 * where `%` and `_` would also need escaping). Other control characters are refused: SOQL has no
 * escape for them and no email or phone number contains one.
 */
export function soqlString(value: string): string {
  let out = "'";
  for (const char of value) {
    const escaped = ESCAPES[char];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) throw new RangeError(`SOQL literal with control character U+${code.toString(16).padStart(4, "0")}`);
    out += char;
  }
  return `${out}'`;
}

const FIELD = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `Field = 'value'`; the field name is checked, never escaped. */
export function soqlEquals(field: string, value: string): string {
  if (!FIELD.test(field)) throw new RangeError(`not a SOQL field name: ${field}`);
  return `${field} = ${soqlString(value)}`;
}
