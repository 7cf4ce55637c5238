/**
 * A small collector of field problems for validating WeChat JSON by hand: WeChat's rules depend
 * on the card type and count lengths in UTF-8 bytes, which a schema cannot say clearly.
 * Paths are dotted (`discount.base_info.title`); every problem is kept, so one answer names all.
 */
import type { FieldProblem } from '../../domain/errors.ts';
import { isJson, utf8Bytes, type Json } from './card.ts';

export interface TextRule {
  required?: boolean;
  /** Upper bound in UTF-8 bytes (WeChat's string(N)). */
  maxBytes: number;
  /** Allowed values, when the field is an enumeration. */
  oneOf?: readonly string[];
  url?: boolean;
}

export interface IntRule {
  required?: boolean;
  min: number;
  max: number;
  /** What the number counts, for the message ("fen", "days"). */
  unit?: string;
}

const URL_RE = /^https?:\/\/\S+$/;

/** How WeChat phrases a limit: string(27) is "at most 9 Chinese characters (27 bytes in UTF-8)". */
function limitText(maxBytes: number): string {
  return maxBytes % 3 === 0 ? `at most ${maxBytes / 3} Chinese characters (${maxBytes} bytes in UTF-8)` : `at most ${maxBytes} bytes in UTF-8`;
}

export class Checker {
  readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** An object field: the object, or undefined after noting why not. */
  object(o: Json, key: string, path: string, required: boolean): Json | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (!isJson(v)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    return v;
  }

  array(o: Json, key: string, path: string, maxItems: number): unknown[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.add(path, 'must be an array');
      return undefined;
    }
    if (v.length > maxItems) this.add(path, `must have at most ${maxItems} items`);
    return v;
  }

  text(o: Json, key: string, path: string, rule: TextRule): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (rule.required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') return void this.add(path, 'must be a string');
    if (rule.required && v.trim() === '') return void this.add(path, 'must not be empty');
    if (rule.oneOf && !rule.oneOf.includes(v)) return void this.add(path, `must be one of ${rule.oneOf.join(', ')}, got ${JSON.stringify(v)}`);
    const bytes = utf8Bytes(v);
    if (bytes > rule.maxBytes) return void this.add(path, `must be ${limitText(rule.maxBytes)}; it has ${bytes} bytes`);
    if (rule.url && v !== '' && !URL_RE.test(v)) return void this.add(path, 'must be an http(s) URL');
    return v;
  }

  /** An integer; WeChat also takes digit strings for numbers, so they are read as numbers. */
  int(o: Json, key: string, path: string, rule: IntRule): number | undefined {
    const raw = o[key];
    if (raw === undefined || raw === null) {
      if (rule.required) this.add(path, 'is required');
      return undefined;
    }
    const v = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
    const unit = rule.unit ? ` ${rule.unit}` : '';
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < rule.min || v > rule.max) {
      return void this.add(path, `must be an integer from ${rule.min} to ${rule.max}${unit}, got ${JSON.stringify(raw)}`);
    }
    o[key] = v;
    return v;
  }

  bool(o: Json, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return void this.add(path, 'must be true or false');
    return v;
  }

  /** Refuses keys outside `allowed`: a misspelt field would otherwise vanish without a word. */
  known(o: Json, allowed: readonly string[], path: string, what: string): void {
    for (const key of Object.keys(o)) if (!allowed.includes(key)) this.add(`${path}.${key}`, `is not a field of ${what}`);
  }
}
