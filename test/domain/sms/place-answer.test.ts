import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../../infra/demo/demo-organisation.ts';
import { placeAnswer, withinOneEdit } from '../../../shared/domain/sms/place-answer.ts';

const communities = demoOrganisation.communities;

describe('placeAnswer: where the resident says they live', () => {
  it.each([
    ['康宁', 'chengdong-kangning'],
    ['康宁社区', 'chengdong-kangning'],
    ['城东街道康宁社区', 'chengdong-kangning'],
    ['城东康宁', 'chengdong-kangning'],
    ['我住在康宁社区', 'chengdong-kangning'],
    ['康宁社区居委会', 'chengdong-kangning'],
    ['魏家庄村', 'dongquan-weijiazhuang'],
    ['魏家庄', 'dongquan-weijiazhuang'],
    ['东泉镇魏家庄', 'dongquan-weijiazhuang'],
    ['南大街社区', 'chengdong-nandajie'],
    ['ＫＡＮＧＮＩＮＧ', 'chengdong-kangning'],
    ['Kangning', 'chengdong-kangning'],
    ['I live in Kangning community', 'chengdong-kangning'],
    ['weijiazhuang village', 'dongquan-weijiazhuang'],
  ])('places %s', (answer, id) => {
    expect(placeAnswer(answer, communities)).toBe(id);
  });

  it.each([
    ['康凝', 'chengdong-kangning'],
    ['康凝社区', 'chengdong-kangning'],
    ['城东街道康凝社区', 'chengdong-kangning'],
    ['魏家装村', 'dongquan-weijiazhuang'],
    ['南大接', 'chengdong-nandajie'],
    ['Kangnin', 'chengdong-kangning'],
    ['weijiazhung', 'dongquan-weijiazhuang'],
  ])('forgives one mistyped character: %s', (answer, id) => {
    expect(placeAnswer(answer, communities)).toBe(id);
  });

  it.each([
    // A sub-district, not a community: five communities would fit.
    '城东',
    '城东街道',
    '不知道',
    '平遥',
    '东',
    'yes',
    // One character off 康宁 and as many off 东营村, 东庄村, 东堡村 …: placing it would be a guess.
    '东宁',
  ])('places nothing for %s', (answer) => {
    expect(placeAnswer(answer, communities)).toBeUndefined();
  });
});

describe('withinOneEdit', () => {
  it('counts one replaced, added or missing character, in 字 not UTF-16 units', () => {
    expect(withinOneEdit('康凝', '康宁')).toBe(true);
    expect(withinOneEdit('魏家庄庄', '魏家庄')).toBe(true);
    expect(withinOneEdit('魏庄', '魏家庄')).toBe(true);
    expect(withinOneEdit('康宁', '康宁')).toBe(true);
    expect(withinOneEdit('凝康', '康宁')).toBe(false);
    expect(withinOneEdit('王家村', '魏家庄')).toBe(false);
    expect(withinOneEdit('a', 'b')).toBe(false);
  });
});
