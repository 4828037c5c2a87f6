import { describe, it, expect } from 'vitest';
import { SCREEN_IDS } from '../../../../renderer/app/screen-ids';
import { screens } from '../../../../renderer/app/screens';

describe('screen registry', () => {
  it('lists every screen id once, in the order navigation knows them', () => {
    expect(screens.map((s) => s.id)).toEqual([...SCREEN_IDS]);
  });
});
