/**
 * Validation of emulator requests (and, as a self-check, its responses) against the Swagger 2.0
 * subset copied beside this file from ../shared/spec/device-management-api.subset.json.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { emulatorFile } from './paths';

type SwaggerParam = {
  name: string;
  in: 'query' | 'path' | 'body' | 'formData' | 'header';
  required?: boolean;
  type?: string;
  schema?: unknown;
  [k: string]: unknown;
};
type SwaggerOp = { operationId: string; parameters?: SwaggerParam[]; responses: Record<string, { schema?: unknown }> };
type SwaggerDoc = { definitions: Record<string, unknown>; paths: Record<string, Record<string, SwaggerOp>> };

export const spec: SwaggerDoc = JSON.parse(readFileSync(emulatorFile('device-management-api.subset.json'), 'utf8')) as SwaggerDoc;

export type FieldError = { name: string; message: string };

const FORMATS = {
  int32: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
};

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, formats: FORMATS, unicodeRegExp: false, verbose: true });
  ajv.addSchema({ definitions: spec.definitions }, 'spec');
  return ajv;
}
const bodyAjv = makeAjv(false);
const queryAjv = makeAjv(true);

/** Rewrites `#/definitions/X` into a reference into the schema registered as `spec`. */
function rebase(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"spec#/definitions/'));
}

/** Swagger 2.0's `x-nullable: true` allows null where JSON Schema's `type` does not. */
const nullableOk = (e: ErrorObject) =>
  e.keyword === 'type' && e.data === null && (e.parentSchema as Record<string, unknown> | undefined)?.['x-nullable'] === true;

function toFields(errors: ErrorObject[] | null | undefined, root: string): FieldError[] {
  return (errors ?? [])
    .filter((e) => !nullableOk(e))
    .map((e) => {
      let name = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
      if (e.keyword === 'required') name = name ? `${name}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
      if (e.keyword === 'additionalProperties') name = `${name ? `${name}.` : ''}${String(e.params.additionalProperty)}`;
      return { name: name || root, message: e.message ?? 'is invalid' };
    });
}

export type OperationValidator = {
  operationId: string;
  /** Validates (and coerces) the query; returns field errors. */
  query(q: Record<string, string>): { fields: FieldError[]; value: Record<string, unknown> };
  /** Validates a JSON body; returns field errors. */
  body(b: unknown): FieldError[];
  /** Names of required formData fields. */
  formData: SwaggerParam[];
};

const cache = new Map<string, OperationValidator>();

export function operationValidator(specPath: string, method: string): OperationValidator {
  const key = `${method} ${specPath}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const op = spec.paths[specPath]?.[method.toLowerCase()];
  if (!op) throw new Error(`the spec has no ${key}`);
  const params = op.parameters ?? [];
  const qParams = params.filter((p) => p.in === 'query');
  const qSchema = {
    type: 'object',
    properties: Object.fromEntries(
      qParams.map((p) => {
        const { name: _n, in: _i, required: _r, description: _d, ...rest } = p;
        return [p.name, rest];
      }),
    ),
    required: qParams.filter((p) => p.required).map((p) => p.name),
  };
  const qv = queryAjv.compile(qSchema);
  const bodyParam = params.find((p) => p.in === 'body');
  const bv: ValidateFunction | undefined = bodyParam?.schema ? bodyAjv.compile(rebase(bodyParam.schema) as object) : undefined;
  const v: OperationValidator = {
    operationId: op.operationId,
    query(q) {
      const value: Record<string, unknown> = { ...q };
      const okQ = qv(value);
      return { fields: okQ ? [] : toFields(qv.errors, 'query'), value };
    },
    body(b) {
      if (!bv) return [];
      if (b === undefined) return [{ name: bodyParam!.name, message: 'a JSON body is required' }];
      return bv(b) ? [] : toFields(bv.errors, bodyParam!.name);
    },
    formData: params.filter((p) => p.in === 'formData'),
  };
  cache.set(key, v);
  return v;
}

const responseValidators = new Map<string, ValidateFunction>();

/**
 * Checks a response body against a spec definition. Known quirks of the official spec are tolerated:
 * - BulkResponse lists `completet_at` (sic) as required; the real service sends `completed_at`.
 * - EnrollmentIdentity's `claimed_at` / `enrolled_device_id` are null until a device claims it.
 */
export function checkResponse(definition: string, body: unknown): string[] {
  let v = responseValidators.get(definition);
  if (!v) {
    v = bodyAjv.compile({ $ref: `spec#/definitions/${definition}` });
    responseValidators.set(definition, v);
  }
  if (v(body)) return [];
  return (v.errors ?? [])
    .filter((e) => !nullableOk(e))
    .filter((e) => !(e.keyword === 'required' && e.params.missingProperty === 'completet_at'))
    .filter((e) => !(/\/(claimed_at|enrolled_device_id)$/.test(e.instancePath) && e.keyword === 'type' && e.data === null))
    .map((e) => `${definition}${e.instancePath} ${e.message ?? ''}`.trim());
}
