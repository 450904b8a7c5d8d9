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

// ---- Intake enumerations: stored codes never change; labels may. ----------------------------

export const CLASS_MEMBERSHIPS = ['member', 'not_member', 'unknown'] as const;
export const CLASS_MEMBERSHIP_LABELS: Record<(typeof CLASS_MEMBERSHIPS)[number], string> = {
  member: 'Class member',
  not_member: 'Not a class member',
  unknown: 'Unknown',
};

export const REMOVAL_ORDER_STATUSES = ['unknown', 'none', 'proceedings_pending', 'final_order', 'appeal_pending', 'stipulated'] as const;
export const REMOVAL_ORDER_LABELS: Record<(typeof REMOVAL_ORDER_STATUSES)[number], string> = {
  unknown: 'Unknown',
  none: 'No removal order',
  proceedings_pending: 'Removal proceedings pending',
  final_order: 'Final order of removal',
  appeal_pending: 'Appeal pending',
  stipulated: 'Stipulated removal order',
};

export const INTERVIEW_MODES = ['in_person', 'phone', 'video'] as const;
export const INTERVIEW_MODE_LABELS: Record<(typeof INTERVIEW_MODES)[number], string> = {
  in_person: 'In person',
  phone: 'Phone',
  video: 'Video',
};

export const DECLARATION_STATUSES = ['none', 'drafted', 'signed'] as const;
export const DECLARATION_STATUS_LABELS: Record<(typeof DECLARATION_STATUSES)[number], string> = {
  none: 'No declaration',
  drafted: 'Declaration drafted',
  signed: 'Declaration signed',
};

export const DATE_PRECISIONS = ['exact', 'month', 'approximate'] as const;
export const DATE_PRECISION_LABELS: Record<(typeof DATE_PRECISIONS)[number], string> = {
  exact: 'Exact day',
  month: 'Month only',
  approximate: 'Approximate',
};

export const STAFF_ROLES = ['ice_officer', 'contract_guard', 'medical', 'other'] as const;
export const STAFF_ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], string> = {
  ice_officer: 'ICE officer',
  contract_guard: 'Contract guard',
  medical: 'Medical staff',
  other: 'Other staff',
};

export const DOCUMENT_KINDS = ['i210_voluntary_departure', 'stipulated_removal', 'travel_document', 'other'] as const;
export const DOCUMENT_KIND_LABELS: Record<(typeof DOCUMENT_KINDS)[number], string> = {
  i210_voluntary_departure: 'I-210 voluntary departure',
  stipulated_removal: 'Stipulated removal',
  travel_document: 'Travel document',
  other: 'Other document',
};

export const INCIDENT_STATUSES = ['new', 'verified', 'excluded'] as const;
export const INCIDENT_STATUS_LABELS: Record<(typeof INCIDENT_STATUSES)[number], string> = {
  new: 'New',
  verified: 'Verified',
  excluded: 'Excluded',
};

export const HISTORY_ACTIONS = ['create', 'update', 'delete', 'restore'] as const;
export const HISTORY_ACTION_LABELS: Record<(typeof HISTORY_ACTIONS)[number], string> = {
  create: 'Created',
  update: 'Edited',
  delete: 'Deleted',
  restore: 'Restored',
};

/** English month names, January first: dates in exhibits and in messages are written out. */
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
