/** A Device Management region: its API base URL and how the URL picker names it. */
export interface ApiRegion {
  id: string;
  label: string;
  url: string;
}

/** The public Device Management regions; any other https URL (on-premises) is accepted too. */
export const API_REGIONS = {
  us: { id: 'us', label: 'US (us-east-1)', url: 'https://api.us-east-1.mbedcloud.com' },
  eu: { id: 'eu', label: 'EU (eu-west-1)', url: 'https://api.eu-west-1.mbedcloud.com' },
} as const satisfies Record<string, ApiRegion>;

/** The API URL used when neither a flag, `PWS_API_URL` nor the settings name one. */
export const DEFAULT_API_URL = API_REGIONS.us.url;
