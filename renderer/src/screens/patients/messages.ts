// Words of the patients screens, in every UI language (same keys in each; a test checks it).
const en = {
  title: 'Patients',
  search: {
    noMatches: 'No patient matches.',
    typeMore: 'More patients match: type more to narrow the list.',
  },
};

type Messages = typeof en;

const ptBR: Messages = {
  title: 'Pacientes',
  search: {
    noMatches: 'Nenhum paciente encontrado.',
    typeMore: 'Há mais pacientes: digite mais para filtrar a lista.',
  },
};

export default { en, 'pt-BR': ptBR };
