// The words of the demo clinic in each demo locale: visit kinds, allergies, reasons, note
// phrases. All invented; carrier and clinic names are made up so as not to name real companies.
import type { PaymentMethod, ProviderKind } from '../domain/enums';
import type { CdtCode } from '../domain/rules/cdt';
import type { DemoLocale } from './options';

type Localized<T> = Readonly<Record<DemoLocale, T>>;

export const APPOINTMENT_TYPE_KEYS = [
  'checkup_cleaning',
  'child_cleaning',
  'sealants',
  'perio_maintenance',
  'scaling',
  'new_patient_exam',
  'follow_up',
  'filling',
  'crown',
  'root_canal',
  'extraction',
  'emergency',
  'implant',
] as const;
export type AppointmentTypeKey = (typeof APPOINTMENT_TYPE_KEYS)[number];

export interface AppointmentTypeSpec {
  key: AppointmentTypeKey;
  name: Localized<string>;
  durationMinutes: number;
  colour: string;
  /** Who does this kind of visit. */
  providerKind: ProviderKind;
  /** Patient ages (whole years, both included) the visit suits. */
  minAge: number;
  maxAge: number;
  /** How often it is booked relative to the others a provider can do. */
  weight: number;
  /** Future visits of this kind carry their planned procedures (the treatment plan). */
  plannedAhead: boolean;
  /** How far ahead it is usually booked, in days: recalls months ahead, repairs weeks. */
  leadDays: readonly [number, number];
}

export const APPOINTMENT_TYPE_SPECS: readonly AppointmentTypeSpec[] = [
  {
    key: 'checkup_cleaning',
    name: { pt_BR: 'Revisão e limpeza', en: 'Checkup and cleaning' },
    durationMinutes: 60,
    colour: '#4caf50',
    providerKind: 'hygienist',
    minAge: 13,
    maxAge: 120,
    weight: 60,
    plannedAhead: false,
    leadDays: [20, 180],
  },
  {
    key: 'child_cleaning',
    name: { pt_BR: 'Limpeza infantil', en: 'Child cleaning' },
    durationMinutes: 45,
    colour: '#8bc34a',
    providerKind: 'hygienist',
    minAge: 3,
    maxAge: 12,
    weight: 60,
    plannedAhead: false,
    leadDays: [20, 180],
  },
  {
    key: 'sealants',
    name: { pt_BR: 'Selantes', en: 'Sealants' },
    durationMinutes: 30,
    colour: '#cddc39',
    providerKind: 'hygienist',
    minAge: 6,
    maxAge: 15,
    weight: 15,
    plannedAhead: true,
    leadDays: [3, 30],
  },
  {
    key: 'perio_maintenance',
    name: { pt_BR: 'Manutenção periodontal', en: 'Periodontal maintenance' },
    durationMinutes: 60,
    colour: '#009688',
    providerKind: 'hygienist',
    minAge: 30,
    maxAge: 120,
    weight: 12,
    plannedAhead: false,
    leadDays: [30, 120],
  },
  {
    key: 'scaling',
    name: { pt_BR: 'Raspagem periodontal', en: 'Deep cleaning (scaling)' },
    durationMinutes: 90,
    colour: '#00796b',
    providerKind: 'hygienist',
    minAge: 25,
    maxAge: 120,
    weight: 8,
    plannedAhead: true,
    leadDays: [3, 30],
  },
  {
    key: 'new_patient_exam',
    name: { pt_BR: 'Avaliação inicial', en: 'New patient exam' },
    durationMinutes: 60,
    colour: '#2196f3',
    providerKind: 'dentist',
    minAge: 3,
    maxAge: 120,
    weight: 14,
    plannedAhead: false,
    leadDays: [1, 21],
  },
  {
    key: 'follow_up',
    name: { pt_BR: 'Consulta de retorno', en: 'Follow-up exam' },
    durationMinutes: 30,
    colour: '#03a9f4',
    providerKind: 'dentist',
    minAge: 3,
    maxAge: 120,
    weight: 16,
    plannedAhead: false,
    leadDays: [7, 60],
  },
  {
    key: 'filling',
    name: { pt_BR: 'Restauração', en: 'Filling' },
    durationMinutes: 45,
    colour: '#ff9800',
    providerKind: 'dentist',
    minAge: 4,
    maxAge: 120,
    weight: 30,
    plannedAhead: true,
    leadDays: [3, 30],
  },
  {
    key: 'crown',
    name: { pt_BR: 'Coroa', en: 'Crown' },
    durationMinutes: 90,
    colour: '#9c27b0',
    providerKind: 'dentist',
    minAge: 18,
    maxAge: 120,
    weight: 7,
    plannedAhead: true,
    leadDays: [7, 45],
  },
  {
    key: 'root_canal',
    name: { pt_BR: 'Tratamento de canal', en: 'Root canal' },
    durationMinutes: 90,
    colour: '#e91e63',
    providerKind: 'dentist',
    minAge: 12,
    maxAge: 120,
    weight: 6,
    plannedAhead: true,
    leadDays: [2, 21],
  },
  {
    key: 'extraction',
    name: { pt_BR: 'Extração', en: 'Extraction' },
    durationMinutes: 45,
    colour: '#795548',
    providerKind: 'dentist',
    minAge: 5,
    maxAge: 120,
    weight: 7,
    plannedAhead: true,
    leadDays: [2, 30],
  },
  {
    key: 'emergency',
    name: { pt_BR: 'Urgência', en: 'Emergency visit' },
    durationMinutes: 30,
    colour: '#f44336',
    providerKind: 'dentist',
    minAge: 3,
    maxAge: 120,
    weight: 6,
    plannedAhead: false,
    leadDays: [0, 1],
  },
  {
    key: 'implant',
    name: { pt_BR: 'Cirurgia de implante', en: 'Implant surgery' },
    durationMinutes: 120,
    colour: '#607d8b',
    providerKind: 'dentist',
    minAge: 25,
    maxAge: 120,
    weight: 2,
    plannedAhead: true,
    leadDays: [14, 60],
  },
];

/** Our own Portuguese wording for the starter procedure list (which is written in English). */
export const PROCEDURE_DESCRIPTIONS_PT_BR: Readonly<Partial<Record<CdtCode, string>>> = {
  D0120: 'Exame periódico',
  D0140: 'Exame de urgência, uma queixa',
  D0150: 'Exame completo',
  D0210: 'Radiografias de boca inteira',
  D0220: 'Radiografia periapical',
  D0230: 'Radiografia periapical adicional',
  D0274: 'Radiografias interproximais, quatro',
  D0330: 'Radiografia panorâmica',
  D1110: 'Profilaxia adulto',
  D1120: 'Profilaxia infantil',
  D1206: 'Aplicação de flúor',
  D1351: 'Selante, por dente',
  D2140: 'Restauração de amálgama, uma face',
  D2150: 'Restauração de amálgama, duas faces',
  D2330: 'Restauração de resina, uma face, dente anterior',
  D2331: 'Restauração de resina, duas faces, dente anterior',
  D2391: 'Restauração de resina, uma face, dente posterior',
  D2392: 'Restauração de resina, duas faces, dente posterior',
  D2740: 'Coroa de cerâmica pura',
  D2950: 'Núcleo de preenchimento',
  D3310: 'Tratamento de canal, dente anterior',
  D3330: 'Tratamento de canal, molar',
  D4341: 'Raspagem e alisamento radicular, por quadrante',
  D4910: 'Manutenção periodontal',
  D6010: 'Instalação de implante',
  D7140: 'Extração simples',
  D7210: 'Extração cirúrgica',
  D9110: 'Tratamento paliativo de dor',
};

export const ALLERGIES: Localized<readonly (readonly [string, number])[]> = {
  pt_BR: [
    ['Penicilina', 30],
    ['Dipirona', 20],
    ['Látex', 12],
    ['Ibuprofeno', 10],
    ['Ácido acetilsalicílico', 8],
    ['Sulfa', 6],
    ['Iodo', 5],
    ['Codeína', 4],
    ['Clorexidina', 3],
    ['Articaína', 2],
  ],
  en: [
    ['Penicillin', 30],
    ['Codeine', 12],
    ['Latex', 12],
    ['Ibuprofen', 10],
    ['Aspirin', 8],
    ['Sulfa drugs', 8],
    ['Amoxicillin', 6],
    ['Iodine', 4],
    ['Chlorhexidine', 3],
    ['Articaine', 2],
  ],
};

export const MEDICAL_ALERTS: Localized<readonly (readonly [string, number])[]> = {
  pt_BR: [
    ['Hipertensão arterial', 30],
    ['Diabetes tipo 2', 18],
    ['Uso de anticoagulante (varfarina)', 8],
    ['Asma', 10],
    ['Cardiopata: profilaxia antibiótica antes de procedimentos invasivos', 5],
    ['Portador de marca-passo', 3],
    ['Uso de bisfosfonatos', 4],
    ['Hipotireoidismo', 10],
    ['Ansiedade odontológica', 12],
  ],
  en: [
    ['High blood pressure', 30],
    ['Type 2 diabetes', 18],
    ['Takes blood thinners (warfarin)', 8],
    ['Asthma', 10],
    ['Heart condition: antibiotic premedication before invasive work', 5],
    ['Pacemaker', 3],
    ['Takes bisphosphonates', 4],
    ['Hypothyroidism', 10],
    ['Dental anxiety', 12],
  ],
};

/** Invented dental plans: real carrier names would look like endorsements or real data. */
export const INSURANCE_CARRIERS: Localized<readonly string[]> = {
  pt_BR: ['Plano Sorriso Exemplo', 'OdontoDemo Empresarial', 'Rede Dental Fictícia'],
  en: ['Example Dental PPO', 'Sample Mutual Dental', 'Demo Smiles HMO', 'Placeholder Dental Plus'],
};

export const CANCEL_REASONS: Localized<readonly string[]> = {
  pt_BR: [
    'Paciente pediu para remarcar',
    'Imprevisto no trabalho',
    'Paciente doente',
    'Conflito de horário',
    'Sem transporte',
    'Cancelado pela clínica: profissional indisponível',
  ],
  en: [
    'Patient asked to reschedule',
    'Work conflict',
    'Patient unwell',
    'Schedule conflict',
    'No transportation',
    'Cancelled by the clinic: provider unavailable',
  ],
};

export const APPOINTMENT_REMARKS: Localized<readonly string[]> = {
  pt_BR: [
    'Prefere lembrete por WhatsApp',
    'Prefere horários pela manhã',
    'Trazer exames anteriores',
    'Acompanhado pelo responsável',
    'Verificar autorização do plano',
  ],
  en: [
    'Prefers text reminders',
    'Prefers morning visits',
    'Bring previous X-rays',
    'Accompanied by a parent',
    'Check insurance pre-authorization',
  ],
};

export const OPERATORY_NAME: Localized<string> = { pt_BR: 'Consultório', en: 'Operatory' };

export const PAYMENT_DESCRIPTIONS: Localized<Readonly<Record<PaymentMethod, string>>> = {
  pt_BR: {
    cash: 'Pagamento em dinheiro',
    card: 'Pagamento com cartão',
    check: 'Pagamento com cheque',
    bank_transfer: 'Transferência bancária',
    pix: 'Pagamento via Pix',
    insurance: 'Repasse do plano odontológico',
    other: 'Pagamento',
  },
  en: {
    cash: 'Cash payment',
    card: 'Card payment',
    check: 'Check payment',
    bank_transfer: 'Bank transfer',
    pix: 'Pix payment',
    insurance: 'Insurance payment',
    other: 'Payment',
  },
};

export const LEDGER_TEXTS: Localized<{
  courtesyDiscount: string;
  noShowFee: string;
  paymentReversal: string;
}> = {
  pt_BR: {
    courtesyDiscount: 'Desconto de cortesia',
    noShowFee: 'Taxa por falta sem aviso',
    paymentReversal: 'Estorno: pagamento contestado',
  },
  en: {
    courtesyDiscount: 'Courtesy discount',
    noShowFee: 'Missed appointment fee',
    paymentReversal: 'Reversal: payment disputed',
  },
};

/** Phrases clinical notes are put together from; never a patient's name or details. */
export const NOTE_PHRASES: Localized<{
  opening: readonly string[];
  done: string;
  anesthesia: readonly string[];
  findings: readonly string[];
  instructions: readonly string[];
  planned: string;
  amendment: readonly string[];
}> = {
  pt_BR: {
    opening: [
      'Paciente compareceu para {visit}.',
      'Atendimento de {visit}.',
      'Paciente em bom estado geral, atendido para {visit}.',
    ],
    done: 'Realizado: {procedures}.',
    anesthesia: [
      'Anestesia infiltrativa com lidocaína 2% com epinefrina, 1 tubete.',
      'Anestesia com articaína 4%, 1 tubete.',
      'Sem necessidade de anestesia.',
    ],
    findings: [
      'Gengiva sem sinais de inflamação.',
      'Sangramento leve à sondagem na região posterior.',
      'Acúmulo de placa moderado em face lingual dos inferiores.',
      'Sem lesões de tecidos moles.',
      'Desgaste incisal leve compatível com bruxismo.',
    ],
    instructions: [
      'Orientações de higiene oral reforçadas.',
      'Orientado a evitar alimentos duros por 24 horas.',
      'Prescrito analgésico em caso de dor.',
      'Retorno conforme plano de tratamento.',
      'Recomendado uso de fio dental diariamente.',
    ],
    planned: 'Planejado: {procedures}.',
    amendment: [
      'Adendo: corrigido o dente registrado na nota anterior.',
      'Adendo: paciente relatou por telefone estar sem dor.',
      'Adendo: incluída informação sobre a anestesia utilizada.',
    ],
  },
  en: {
    opening: [
      'Patient seen for {visit}.',
      'Visit: {visit}.',
      'Patient in good general health, seen for {visit}.',
    ],
    done: 'Done: {procedures}.',
    anesthesia: [
      'Local anesthesia: lidocaine 2% with epinephrine, 1 carpule.',
      'Local anesthesia: articaine 4%, 1 carpule.',
      'No anesthesia needed.',
    ],
    findings: [
      'Gums healthy, no inflammation.',
      'Light bleeding on probing in posterior areas.',
      'Moderate plaque on lower lingual surfaces.',
      'No soft tissue lesions.',
      'Mild incisal wear consistent with bruxism.',
    ],
    instructions: [
      'Oral hygiene instructions reviewed.',
      'Advised to avoid hard foods for 24 hours.',
      'Pain reliever recommended if needed.',
      'Return as per treatment plan.',
      'Advised to floss daily.',
    ],
    planned: 'Planned: {procedures}.',
    amendment: [
      'Addendum: corrected the tooth recorded in the previous note.',
      'Addendum: patient reported by phone being pain free.',
      'Addendum: added the anesthetic used.',
    ],
  },
};
