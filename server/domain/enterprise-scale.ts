/** An enterprise's scale (划型), kept on the enterprise record: the SME payment rules protect all but large ones. */
export const ENTERPRISE_SCALES = ['micro', 'small', 'medium', 'large'] as const;
export type EnterpriseScale = (typeof ENTERPRISE_SCALES)[number];

/** Small, medium and micro enterprises (中小企业), whom 《保障中小企业款项支付条例》 protects. */
export function isSme(scale: EnterpriseScale): boolean {
  return scale !== 'large';
}
