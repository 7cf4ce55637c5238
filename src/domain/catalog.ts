/** Tenants and what they own besides coupons: product kinds, channels, themes, users, operators, chats. */

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  servicePhone: string;
  createdAt: number;
}

/** A named thing in the tenant's catalog (product kind, channel, theme). */
export interface Named {
  id: string;
  name: string;
}

export interface User {
  id: string;
  /** Ids of the user on other platforms, such as WeChat openids. */
  platformIds: string[];
}

export interface Operator {
  id: string;
  name: string;
}

export interface Chat {
  id: string;
  userId: string;
  operatorId: string;
}

/** Who made a change, for the event trail. */
export interface Actor {
  type: 'api_key' | 'partner' | 'system' | 'cli';
  id: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system' };
