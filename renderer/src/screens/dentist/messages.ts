// Words of the dentist screens, in every UI language (same keys in each; a test checks it).
const en = {
  title: 'dentist',
};

type Messages = typeof en;

const ptBR: Messages = {
  title: 'dentist',
};

export default { en, 'pt-BR': ptBR };
