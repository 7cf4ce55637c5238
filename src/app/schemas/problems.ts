/**
 * JSON-schema errors (TypeBox's validator) turned into field problems a person can act on:
 * `order.amount: must be integer`, `name: is not a known field`.
 */
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { PATTERN_MESSAGES } from './fields.ts';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

const pointerToField = (p: string): string =>
  p
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');

const join = (prefix: string, field: string): string => (prefix && field ? `${prefix}.${field}` : prefix || field);

/** Field problems from schema errors, one per field, most specific first. */
export function schemaProblems(errors: readonly SchemaError[], prefix = ''): FieldProblem[] {
  const byField = new Map<string, string>();
  const add = (field: string, message: string) => {
    const f = join(prefix, field) || '(body)';
    if (!byField.has(f)) byField.set(f, message);
  };
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      for (const name of (e.params.additionalProperties as string[] | undefined) ?? []) add(join(pointerToField(e.instancePath), name), 'is not a known field');
    } else if (e.keyword === 'required') {
      for (const name of (e.params.requiredProperties as string[] | undefined) ?? [e.params.missingProperty as string]) add(join(pointerToField(e.instancePath), String(name)), 'is required');
    }
  }
  for (const e of errors) {
    if (e.keyword === 'additionalProperties' || e.keyword === 'required' || e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    const worded = e.keyword === 'pattern' ? PATTERN_MESSAGES.get(String(e.params.pattern)) : undefined;
    add(pointerToField(e.instancePath), worded ?? e.message);
  }
  // anyOf (nullable fields, unions) only when nothing more specific was said about that field.
  for (const e of errors) if (e.keyword === 'anyOf') add(pointerToField(e.instancePath), 'does not have an accepted type or value');
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** A compiled check that throws validation_failed naming every bad field. */
export function compileCheck<T extends TSchema>(schema: T, prefix = ''): (value: unknown) => void {
  const check = Compile(schema);
  return (value) => {
    if (check.Check(value)) return;
    throw DomainError.invalid(schemaProblems(check.Errors(value) as unknown as SchemaError[], prefix));
  };
}
