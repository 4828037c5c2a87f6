/** Backend and shared-rule messages start lower-case (they also end CLI lines); on screen they start a sentence. */
export const sentence = (message: string | null | undefined): string | undefined => (message ? message[0]!.toUpperCase() + message.slice(1) : undefined);
