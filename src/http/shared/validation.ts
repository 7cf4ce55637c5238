/**
 * Route schemas are checked by TypeBox's compiled validator. Bodies are taken as sent (a string
 * is never turned into a number, unknown fields are refused, not dropped); query strings and
 * path parameters are converted, since they only ever arrive as text.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { DomainError } from '../../domain/errors.ts';
import { schemaProblems } from '../../app/schemas/problems.ts';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const convert = httpPart !== 'body';
  return (value: unknown) => {
    // Text that already fits (a path id, most query strings) needs no conversion: checked as is.
    if (check.Check(value)) return { value };
    const v = convert ? Value.Convert(schema, value) : value;
    if (convert && check.Check(v)) return { value: v };
    const prefix = httpPart === 'querystring' ? 'query' : httpPart === 'params' ? 'path' : httpPart === 'headers' ? 'header' : '';
    const problems = schemaProblems(check.Errors(v) as never, prefix);
    return { error: DomainError.invalid(problems) };
  };
};
