// The typed shape of an environment's sign-in (OpenID Connect) and roles. The front signs
// people in with the authorization-code flow; the API checks the JWT access token it gets from
// the front (or from a machine client) against the issuer's keys. No secret is part of it: the
// front's client secret and session key come from a Secret created out of band (README,
// "Sign-in").
import { z } from 'zod';

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower-case letters, digits, "-")');
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")');

/** The roles the apps know; anything a claim maps to must be one of them. */
export const ROLES = ['viewer', 'editor'] as const;

export const authSchema = z
  .strictObject({
    /** Issuer URL of the identity provider (its /.well-known/openid-configuration is read). */
    issuer: z.url({ protocol: /^https$/, error: 'must be an https:// issuer URL' }),
    /** The front's OAuth client id at the provider. */
    clientId: z.string().min(1),
    /** The API's audience: the `aud` its access tokens must carry (also the resource indicator the front asks for). */
    apiAudience: z.string().min(1),
    /** Scopes the front requests. @default ['openid', 'profile', 'offline_access'] */
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an OAuth scope token'))
      .default(['openid', 'profile', 'offline_access'])
      .refine((scopes) => scopes.includes('openid'), { message: 'must include "openid"' }),
    /** Claim (in the ID and access tokens) whose values name roles. @default 'groups' */
    roleClaim: z.string().min(1).default('groups'),
    /** Claim value -> role. A person or client with no mapped value has no role and can do nothing. */
    roleMapping: z
      .record(z.string().min(1), z.enum(ROLES))
      .refine((mapping) => Object.values(mapping).includes('editor'), { message: 'must map at least one claim value to "editor"' }),
    /** Whether visitors who are not signed in may read (never write). @default false */
    anonymousRead: z.boolean().default(false),
    /**
     * The Secret (in the environment's namespace, created out of band) holding the front's
     * client secret and the key that encrypts its session cookies.
     */
    frontSecret: z
      .strictObject({
        /** @default 'front-oidc' */
        name: dnsLabel.default('front-oidc'),
        /** @default 'client-secret' */
        clientSecretKey: secretKey.default('client-secret'),
        /** At least 32 random characters. @default 'session-secret' */
        sessionSecretKey: secretKey.default('session-secret'),
      })
      .prefault({}),
    /** Where the front and the API may reach the provider (NetworkPolicy egress). @default any address, port 443 */
    providerEgress: z
      .strictObject({
        cidrs: z.array(z.cidrv4()).min(1),
        ports: z.array(z.number().int().min(1).max(65535)).min(1),
      })
      .default({ cidrs: ['0.0.0.0/0'], ports: [443] }),
  });

export type AuthConfig = z.output<typeof authSchema>;
