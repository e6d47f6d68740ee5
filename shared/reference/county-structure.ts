/**
 * Pingyao County's fixed structure: the 16 township-level areas and the units that own cases.
 * Every unit gets its own dispatch queue, so this list is read by the topology as well as by the
 * demo seed. Names come from the seed article where it gives them (城东街道, 东泉镇, 襄垣乡 ...);
 * the remaining sub-districts are synthetic and marked so.
 */
import type { Township, Unit } from '../domain/organisation.ts';

export const countyCentreUnitId = 'county-centre';

const townshipRows: ReadonlyArray<[id: string, kind: Township['kind'], zh: string, en: string]> = [
  ['chengdong', 'subdistrict', '城东街道', 'Chengdong Sub-district'],
  ['chengxi', 'subdistrict', '城西街道', 'Chengxi Sub-district (synthetic)'],
  ['chengnan', 'subdistrict', '城南街道', 'Chengnan Sub-district (synthetic)'],
  ['duancun', 'town', '段村镇', 'Duancun Town'],
  ['dongquan', 'town', '东泉镇', 'Dongquan Town'],
  ['hongshan', 'town', '洪善镇', 'Hongshan Town'],
  ['ninggu', 'town', '宁固镇', 'Ninggu Town'],
  ['nanzheng', 'township', '南政乡', 'Nanzheng Township'],
  ['zhongdu', 'township', '中都乡', 'Zhongdu Township'],
  ['yuebi', 'township', '岳壁乡', 'Yuebi Township'],
  ['buyi', 'township', '卜宜乡', 'Buyi Township'],
  ['mengshan', 'township', '孟山乡', 'Mengshan Township'],
  ['zhukeng', 'township', '朱坑乡', 'Zhukeng Township'],
  ['xiangyuan', 'township', '襄垣乡', 'Xiangyuan Township'],
  ['dujiazhuang', 'township', '杜家庄乡', 'Dujiazhuang Township'],
  ['xiangle', 'township', '香乐乡', 'Xiangle Township'],
];

export const townships: readonly Township[] = townshipRows.map(([id, kind, zh, en]) => ({
  id,
  kind,
  zh,
  en,
  centreUnitId: `centre-${id}`,
}));

const departments: readonly Unit[] = [
  { id: 'psb-antifraud', kind: 'department', zh: '县公安局反诈中心', en: 'County PSB anti-fraud centre' },
  { id: 'psb', kind: 'department', zh: '县公安局', en: 'County Public Security Bureau' },
  { id: 'transport', kind: 'department', zh: '县交通运输局', en: 'County Transport Bureau' },
  { id: 'urban-management', kind: 'department', zh: '县城市管理局', en: 'County Urban Management Bureau' },
  { id: 'heritage', kind: 'department', zh: '县文物局', en: 'County Cultural Heritage Bureau' },
  { id: 'education', kind: 'department', zh: '县教育局', en: 'County Education Bureau' },
  { id: 'civil-affairs', kind: 'department', zh: '县民政局', en: 'County Civil Affairs Bureau' },
  {
    id: 'market-regulation',
    kind: 'department',
    zh: '县市场监督管理局',
    en: 'County Market Regulation Bureau',
  },
  { id: 'petition', kind: 'department', zh: '县信访局', en: 'County Letters and Visits Bureau' },
];

export const units: readonly Unit[] = [
  {
    id: countyCentreUnitId,
    kind: 'county_centre',
    zh: '平遥县综治中心',
    en: 'Pingyao County Governance Centre',
  },
  ...townships.map(
    (t): Unit => ({
      id: t.centreUnitId,
      kind: 'township_centre',
      zh: `${t.zh}综治中心`,
      en: `${t.en.replace(' (synthetic)', '')} Governance Centre`,
      townshipId: t.id,
    }),
  ),
  ...departments,
];

export const unitIds: readonly string[] = units.map((u) => u.id);
