/**
 * The report categories residents choose from (codes from DOMAIN.md). The code list is the
 * contract of the public API; names are display data for the form and the console.
 */
import * as z from '../schema.ts';

export const categoryCodes = [
  'fraud',
  'public_safety',
  'dispute',
  'road',
  'sanitation',
  'heritage',
  'education',
  'assistance',
  'market',
  'petition',
  'other',
] as const;

export const CategoryCode = z.enum(categoryCodes);
export type CategoryCode = z.infer<typeof CategoryCode>;

export interface Category {
  code: CategoryCode;
  zh: string;
  en: string;
}

export const categories: readonly Category[] = [
  { code: 'fraud', zh: '电信网络诈骗', en: 'Telecom and online fraud' },
  { code: 'public_safety', zh: '治安与消防安全', en: 'Public order and fire safety' },
  { code: 'dispute', zh: '矛盾纠纷', en: 'Disputes between residents' },
  { code: 'road', zh: '道路交通与路灯', en: 'Roads, traffic and street lights' },
  { code: 'sanitation', zh: '环境卫生', en: 'Sanitation and environment' },
  { code: 'heritage', zh: '文物安全', en: 'Cultural heritage safety' },
  { code: 'education', zh: '教育', en: 'Education' },
  { code: 'assistance', zh: '救助服务', en: 'Social assistance' },
  { code: 'market', zh: '市场监管（食品、价格、假货）', en: 'Market regulation (food, prices, fakes)' },
  { code: 'petition', zh: '信访诉求', en: 'Letters and visits (petitions)' },
  { code: 'other', zh: '其他', en: 'Other' },
];
