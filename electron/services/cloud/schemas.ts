/**
 * zod schemas for the Device Management API responses we read (the spec's definitions; the subset of the official
 * spec is copied at tests/cloud-emulator/device-management-api.subset.json). They are lenient where the real service
 * is known to differ from its own spec (nullable fields, the `completet_at` typo) and strip unknown fields.
 */
import { z } from 'zod';

const hex32 = z.string().regex(/^[a-f0-9]{32}$/, 'must be 32 lowercase hex characters');
const optStr = z.string().nullish();

export const ErrorResponseSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  object: z.string().optional(),
  request_id: z.string().optional(),
  type: z.string().optional(),
  fields: z.array(z.object({ name: z.string(), message: z.string() })).nullish(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const AccountInfoSchema = z.object({
  object: z.literal('account'),
  id: hex32,
  display_name: optStr,
  company: optStr,
  aliases: z.array(z.string()).nullish(),
  status: z.string(),
  tier: z.string(),
  end_market: z.string(),
  etag: z.string(),
  created_at: optStr,
});
export type AccountInfo = z.infer<typeof AccountInfoSchema>;

export const ApiKeyInfoSchema = z.object({
  object: z.literal('api-key'),
  id: z.string(),
  name: z.string(),
  account_id: optStr,
  owner: optStr,
  status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  etag: z.string(),
  created_at: optStr,
  // `key` is deliberately not kept: it is (part of) the secret.
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>;

export const DeveloperCertificateSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: optStr,
  account_id: z.string(),
  object: z.string().optional(),
  developer_certificate: z.string().includes('-----BEGIN CERTIFICATE-----'),
  developer_private_key: z.string().includes('PRIVATE KEY-----').optional(),
  security_file_content: z.string().min(1),
  created_at: optStr,
  etag: optStr,
});
export type DeveloperCertificate = z.infer<typeof DeveloperCertificateSchema>;

/** A freshly created developer certificate always carries its private key. */
export const CreatedDeveloperCertificateSchema = DeveloperCertificateSchema.extend({
  developer_private_key: z.string().includes('PRIVATE KEY-----'),
});
export type CreatedDeveloperCertificate = z.infer<typeof CreatedDeveloperCertificateSchema>;

export const TrustedCertificateSchema = z.object({
  object: z.literal('trusted-cert'),
  id: hex32,
  account_id: z.string(),
  name: z.string(),
  description: optStr,
  certificate: z.string(),
  certificate_fingerprint: z.string(),
  issuer: z.string(),
  subject: z.string(),
  validity: z.string(),
  service: z.enum(['lwm2m', 'bootstrap']),
  status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  device_execution_mode: z.number().int().optional(),
  enrollment_mode: z.boolean().optional(),
  owner_id: optStr,
  valid: z.boolean().optional(),
  created_at: optStr,
  updated_at: optStr,
  etag: z.string(),
});
export type TrustedCertificate = z.infer<typeof TrustedCertificateSchema>;

export const TrustedCertificateListSchema = z.object({
  object: z.literal('list'),
  data: z.array(TrustedCertificateSchema),
  has_more: z.boolean(),
  limit: z.number().int(),
  after: optStr,
  order: z.enum(['ASC', 'DESC']).optional(),
  total_count: z.number().int().optional(),
});

export const EnrollmentIdentitySchema = z.object({
  object: z.literal('enrollment'),
  id: z.string().regex(/^[A-Za-z0-9]{32}/),
  etag: z.string(),
  account_id: z.string(),
  created_at: z.string(),
  expires_at: optStr,
  claimed_at: optStr,
  enrollment_identity: z.string().regex(/^A-[A-Za-z0-9:]{95}$/),
  enrolled_device_id: optStr,
});
export type EnrollmentIdentity = z.infer<typeof EnrollmentIdentitySchema>;

export const BulkUploadSchema = z.object({
  object: z.literal('enrollment-identity-bulk-uploads'),
  id: z.string().regex(/^[A-Za-z0-9]{32}/),
  etag: z.string(),
  account_id: z.string(),
  created_at: z.string(),
  status: z.enum(['new', 'processing', 'completed']),
  total_count: z.number().int(),
  processed_count: z.number().int(),
  errors_count: z.number().int(),
  completed_at: optStr,
  full_report_file: optStr,
  errors_report_file: optStr,
});
export type BulkUpload = z.infer<typeof BulkUploadSchema>;
