// Category vocabulary. Codes are stored and never change; labels and descriptions may.
export const CATEGORY_CODES = [
  'FOOD',
  'WATER',
  'RESTROOM',
  'COERCED_DEPARTURE',
  'STIPULATED_REMOVAL',
  'COUNSEL_INTERFERENCE',
  'MISREPRESENTATION',
  'THREATS',
  'RETALIATION',
  'SEGREGATION',
  'FORCE',
  'MEDICAL',
  'SEXUAL_ABUSE',
  'RELIGIOUS',
  'TRANSFER',
  'OTHER',
] as const;

export type CategoryCode = (typeof CATEGORY_CODES)[number];

export interface Category {
  code: CategoryCode;
  label: string;
  description: string;
  /** The detention standard section or rule the category implicates. */
  standard: string;
}

export const CATEGORIES: Record<CategoryCode, Category> = {
  FOOD: {
    code: 'FOOD',
    label: 'Meals withheld',
    description: 'Meals withheld, delayed, or inadequate.',
    standard: 'PBNDS 2011 §4.1 (Food Service)',
  },
  WATER: {
    code: 'WATER',
    label: 'Water withheld',
    description: 'Drinking water withheld or rationed.',
    standard: 'PBNDS 2011 §4.1 (Food Service)',
  },
  RESTROOM: {
    code: 'RESTROOM',
    label: 'Restroom access denied',
    description: 'Access to a toilet or sanitation denied or delayed.',
    standard: 'PBNDS 2011 §4.5 (Personal Hygiene)',
  },
  COERCED_DEPARTURE: {
    code: 'COERCED_DEPARTURE',
    label: 'Pressure to sign voluntary departure',
    description: 'Pressed to sign voluntary departure (Form I-210) without counsel.',
    standard: '8 CFR 240.25',
  },
  STIPULATED_REMOVAL: {
    code: 'STIPULATED_REMOVAL',
    label: 'Pressure to accept stipulated removal',
    description: 'Pressed to sign a stipulated removal order without counsel.',
    standard: '8 CFR 1003.25(b)',
  },
  COUNSEL_INTERFERENCE: {
    code: 'COUNSEL_INTERFERENCE',
    label: 'Interference with counsel',
    description: 'Visits, calls or legal mail with counsel blocked or obstructed.',
    standard: 'PBNDS 2011 §5.7 (Visitation), §5.6 (Telephone Access)',
  },
  MISREPRESENTATION: {
    code: 'MISREPRESENTATION',
    label: 'Misrepresentation of the litigation',
    description: 'False statements about the class action, its relief or its counsel.',
    standard: 'PBNDS 2011 §5.7 (Visitation)',
  },
  THREATS: {
    code: 'THREATS',
    label: 'Threats for seeking counsel',
    description: 'Threats of longer detention or other harm for getting a lawyer.',
    standard: 'PBNDS 2011 §5.7 (Visitation)',
  },
  RETALIATION: {
    code: 'RETALIATION',
    label: 'Retaliation',
    description: 'Adverse treatment for joining the class action or filing grievances.',
    standard: 'PBNDS 2011 §6.2 (Grievance System)',
  },
  SEGREGATION: {
    code: 'SEGREGATION',
    label: 'Segregation',
    description: 'Placement in special management or solitary confinement.',
    standard: 'PBNDS 2011 §2.12 (Special Management Units)',
  },
  FORCE: {
    code: 'FORCE',
    label: 'Use of force',
    description: 'Physical force or restraints.',
    standard: 'PBNDS 2011 §2.15 (Use of Force and Restraints)',
  },
  MEDICAL: {
    code: 'MEDICAL',
    label: 'Medical care denied',
    description: 'Medical care or medication denied or delayed.',
    standard: 'PBNDS 2011 §4.3 (Medical Care)',
  },
  SEXUAL_ABUSE: {
    code: 'SEXUAL_ABUSE',
    label: 'Sexual abuse or assault',
    description: 'Sexual abuse, assault or harassment.',
    standard: 'PBNDS 2011 §2.11 (Sexual Abuse and Assault Prevention)',
  },
  RELIGIOUS: {
    code: 'RELIGIOUS',
    label: 'Religious practice denied',
    description: 'Religious practice, diet or materials denied.',
    standard: 'PBNDS 2011 §5.5 (Religious Practices)',
  },
  TRANSFER: {
    code: 'TRANSFER',
    label: 'Transfer',
    description: 'Transfer away from counsel or without notice.',
    standard: 'PBNDS 2011 §7.4 (Detainee Transfers)',
  },
  OTHER: {
    code: 'OTHER',
    label: 'Other',
    description: 'Any other mistreatment reported.',
    standard: '',
  },
};

export const FACILITY_OPERATORS = ['ICE_OWNED', 'CONTRACT', 'COUNTY_IGSA', 'PRIVATE'] as const;
export const OPERATOR_LABELS: Record<(typeof FACILITY_OPERATORS)[number], string> = {
  ICE_OWNED: 'ICE-owned',
  CONTRACT: 'Contract facility',
  COUNTY_IGSA: 'County jail under agreement',
  PRIVATE: 'Private company',
};

export const DETENTION_STANDARDS = ['PBNDS_2011', 'NDS_2019', 'OTHER'] as const;
export const STANDARD_LABELS: Record<(typeof DETENTION_STANDARDS)[number], string> = {
  PBNDS_2011: 'PBNDS 2011',
  NDS_2019: 'NDS 2019',
  OTHER: 'Other',
};

export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA',
  'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM',
  'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'PR', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA',
  'WA', 'WV', 'WI', 'WY', 'GU', 'VI', 'MP', 'AS',
] as const;
