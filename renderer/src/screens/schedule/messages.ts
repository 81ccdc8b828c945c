// Words of the schedule screens, in every UI language (same keys in each; a test checks it).
const en = {
  title: 'schedule',
};

type Messages = typeof en;

const ptBR: Messages = {
  title: 'schedule',
};

export default { en, 'pt-BR': ptBR };
