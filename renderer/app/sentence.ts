/**
 * Backend and shared-rule messages start lower-case (they also end CLI lines); on screen they start a sentence.
 * A message that starts with a file name, path or symbol (`mbed_cloud_dev_credentials.c has no …`) keeps it as it is.
 */
export const sentence = (message: string | null | undefined): string | undefined => {
  if (!message) return undefined;
  return /^[a-z]+(?=[\s,:;]|$)/.test(message) ? message[0]!.toUpperCase() + message.slice(1) : message;
};
