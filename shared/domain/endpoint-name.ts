/**
 * Endpoint names for own identities (compat-formats §5): made from a template with `{hostname}`, `{seq}` and
 * `{uuid}`, and checked against the characters FCU recommends. The name becomes the device certificate's CN,
 * so it is at most 64 characters (RFC 5280's upper bound for a common name).
 */

export const DEFAULT_ENDPOINT_TEMPLATE = '{hostname}';
export const ENDPOINT_PLACEHOLDERS = ['hostname', 'seq', 'uuid'] as const;
export type EndpointPlaceholder = (typeof ENDPOINT_PLACEHOLDERS)[number];
export const MAX_ENDPOINT_NAME_LENGTH = 64;

/** FCU's recommended characters: a-z A-Z 0-9 ' ( ) + , - . ? : / = and space. */
const ENDPOINT_CHARS = /^[A-Za-z0-9'()+,\-.?:/= ]+$/;

export type TemplateCheck = { ok: true; placeholders: EndpointPlaceholder[] } | { ok: false; message: string };

/** Checks a template's syntax and literal text; says which placeholder or character is wrong. */
export function parseEndpointTemplate(template: string): TemplateCheck {
  if (template.trim() === '') return { ok: false, message: 'the endpoint-name template is empty: use {hostname}, {seq} or {uuid}, with text around them' };
  const placeholders: EndpointPlaceholder[] = [];
  let literal = '';
  for (const part of template.split(/(\{[^{}]*\})/)) {
    const m = /^\{([^{}]*)\}$/.exec(part);
    if (!m) {
      if (/[{}]/.test(part))
        return {
          ok: false,
          message: `the endpoint-name template "${template}" has an unmatched "{" or "}": write placeholders as {hostname}, {seq} or {uuid}`,
        };
      literal += part;
      continue;
    }
    const name = m[1]!;
    if (!(ENDPOINT_PLACEHOLDERS as readonly string[]).includes(name)) {
      return { ok: false, message: `the endpoint-name template "${template}" uses {${name}}: only {hostname}, {seq} and {uuid} exist` };
    }
    placeholders.push(name as EndpointPlaceholder);
  }
  if (literal && !ENDPOINT_CHARS.test(literal)) {
    const bad = [...literal].find((c) => !ENDPOINT_CHARS.test(c));
    return {
      ok: false,
      message: `the endpoint-name template "${template}" contains "${bad}": endpoint names may use a-z A-Z 0-9 ' ( ) + , - . ? : / = and space`,
    };
  }
  return { ok: true, placeholders };
}

/** Whether the template needs the device's host name (asked from the device when discovery did not give it). */
export const templateNeedsHostname = (template: string) => template.includes('{hostname}');

/** Whether every device gets a different name from this template on its own, whatever their host names. */
export const templateIsUniquePerDevice = (placeholders: readonly EndpointPlaceholder[]) => placeholders.includes('seq') || placeholders.includes('uuid');

/**
 * Why a template can't name the devices of a run of several (`--all`, several devices, or devices still arriving),
 * or undefined: without any placeholder every device gets the same name, and all but the first would be refused as
 * taken. `{seq}` and `{uuid}` differ for every device; `{hostname}` differs as long as the host names do.
 */
export function templateProblemForSeveral(template: string): string | undefined {
  const parsed = parseEndpointTemplate(template);
  if (!parsed.ok || parsed.placeholders.length) return undefined;
  return `the endpoint-name template "${template}" has no placeholder, so every device would get the same endpoint name and all but the first would be refused as taken: add {seq} or {uuid} (a different name for every device) or {hostname} (the device's host name), or provision one device`;
}

/** Why an endpoint name can't be used, or undefined when it can. */
export function endpointNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > MAX_ENDPOINT_NAME_LENGTH)
    return `it is ${name.length} characters long; at most ${MAX_ENDPOINT_NAME_LENGTH} fit a certificate's common name`;
  if (name !== name.trim()) return 'it starts or ends with a space';
  if (!ENDPOINT_CHARS.test(name)) {
    const bad = [...name].find((c) => !ENDPOINT_CHARS.test(c));
    return `it contains "${bad}": endpoint names may use a-z A-Z 0-9 ' ( ) + , - . ? : / = and space`;
  }
  return undefined;
}

export type ExpandResult = { ok: true; name: string } | { ok: false; message: string };

/** The endpoint name for one device; `{hostname}` without a host name, or a name that breaks the rules, is refused. */
export function expandEndpointTemplate(template: string, values: { hostname?: string; seq: number; uuid: string }): ExpandResult {
  let missing = false;
  const name = template.replace(/\{(hostname|seq|uuid)\}/g, (_m, key: EndpointPlaceholder) => {
    if (key === 'seq') return String(values.seq);
    if (key === 'uuid') return values.uuid;
    if (!values.hostname) missing = true;
    return values.hostname ?? '';
  });
  if (missing)
    return { ok: false, message: `the endpoint-name template "${template}" needs the device's host name, and it is not known: use {seq} or {uuid} instead` };
  const problem = endpointNameProblem(name);
  return problem ? { ok: false, message: `the endpoint name "${name}" (from the template "${template}") can't be used: ${problem}` } : { ok: true, name };
}
