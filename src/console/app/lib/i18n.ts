/**
 * zh-CN and English. The first visit follows the browser's language; a choice made in the
 * header is remembered in localStorage. A missing translation fails the type check (zh.ts
 * satisfies the English key set).
 */
import { useEffect, useState } from 'preact/hooks';
import { en } from '../i18n/en.ts';
import { zh } from '../i18n/zh.ts';

export type Lang = 'zh-CN' | 'en';
export type MessageKey = keyof typeof en;
export const LANGS: Array<{ id: Lang; label: string }> = [
  { id: 'zh-CN', label: '中文' },
  { id: 'en', label: 'English' },
];

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh };
const STORAGE_KEY = 'couponhub.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'en';
  return /^zh\b/i.test(preferred) ? 'zh-CN' : 'en';
}

let current: Lang = initialLang();
const listeners = new Set<(l: Lang) => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  for (const fn of listeners) fn(next);
}

/** The message for a key, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = DICTS[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Whether a message key exists (for codes that come from the server, such as reason codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Re-renders the caller when the language changes. */
export function useLang(): Lang {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => void listeners.delete(setValue);
  }, []);
  return value;
}

document.documentElement.lang = current;

/** The message for a key that comes from data (an event action, a status), or the fallback. */
export function tOr(key: string, fallback: string, params: Record<string, string | number> = {}): string {
  return hasMessage(key) ? t(key, params) : fallback;
}
