// The operations of procedures (pratiche): types, a person's procedures with their steps,
// documents and deadlines, alerts and the back office's workload.
import { graphql } from '../../gql';

export const ProcedureFields = graphql(`
  fragment ProcedureFields on Procedure {
    id version personId caseId typeCode typeLabel office responsibleId startedOn referenceOn status closedOn alertDays
    nextDueOn nextStep overdue alerting
    steps { code label office dueOn doneOn limitKind source }
    documents { code label status }
  }
`);

export const ProcedureTypesQuery = graphql(`
  query ProcedureTypes {
    procedureTypes { id code label office reference seeded retired version steps { code label } documents { code label } }
  }
`);

export const ProceduresQuery = graphql(`
  query Procedures($after: String, $filter: ProcedureFilter) {
    procedures(first: 50, after: $after, filter: $filter) {
      nodes { ...ProcedureFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const StartProcedureMutation = graphql(`
  mutation StartProcedure($input: StartProcedureInput!) {
    startProcedure(input: $input) { ...ProcedureFields }
  }
`);

export const RecordProcedureStepMutation = graphql(`
  mutation RecordProcedureStep($input: RecordProcedureStepInput!) {
    recordProcedureStep(input: $input) { ...ProcedureFields }
  }
`);

export const SetProcedureDocumentMutation = graphql(`
  mutation SetProcedureDocument($input: SetProcedureDocumentInput!) {
    setProcedureDocument(input: $input) { ...ProcedureFields }
  }
`);

export const UpdateProcedureMutation = graphql(`
  mutation UpdateProcedure($input: UpdateProcedureInput!) {
    updateProcedure(input: $input) { ...ProcedureFields }
  }
`);

export const ProcedureWorkloadQuery = graphql(`
  query ProcedureWorkload {
    procedureWorkload {
      byType { typeCode open overdue completed abandoned }
      byStep { typeCode step open overdue }
      byResponsible { responsibleId open overdue alerting }
    }
  }
`);
