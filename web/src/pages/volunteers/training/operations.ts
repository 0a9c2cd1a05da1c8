// The training area's operations: courses and workshops, their sessions, enrolments with the
// waiting list, attendance sheets, certificates and their public verification.
import { graphql } from '../../../gql';

export const TrainingCoursesQuery = graphql(`
  query TrainingCourses($first: Int, $after: String, $kind: CourseKind, $audience: CourseAudience) {
    courses(first: $first, after: $after, kind: $kind, audience: $audience) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id version kind title audience plannedMinutes trainer capacity minAttendancePercent enrolled waiting
        sessions { id cancelled }
      }
    }
  }
`);

export const TrainingCourseQuery = graphql(`
  query TrainingCourse($id: ID!) {
    node(id: $id) {
      ... on Course {
        id version kind title audience plannedMinutes trainer capacity minAttendancePercent enrolled waiting
        sessions { id version startsAt endsAt place onlineUrl held cancelled cancelReason attendance { enrolmentId present recordedAt } }
      }
    }
  }
`);

export const TrainingEnrolmentsQuery = graphql(`
  query TrainingEnrolments($id: ID!, $first: Int, $after: String) {
    node(id: $id) {
      ... on Course {
        id
        enrolments(first: $first, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            id volunteerId participantName participantEmail status waitingPosition
            sessionsHeld sessionsAttended minutesAttended completed certificateId createdAt
          }
        }
      }
    }
  }
`);

export const TrainingCertificateQuery = graphql(`
  query TrainingCertificate($id: ID!) {
    node(id: $id) {
      ... on Certificate {
        id enrolmentId participantName courseTitle hoursAttended issuedOn verificationCode verificationPath
      }
    }
  }
`);

export const TrainingVolunteersQuery = graphql(`
  query TrainingVolunteers($first: Int, $after: String) {
    volunteers(first: $first, after: $after, status: ACTIVE) {
      pageInfo { hasNextPage endCursor }
      nodes { id givenNames familyNames }
    }
  }
`);

export const CreateCourseMutation = graphql(`
  mutation CreateCourse($input: CourseInput!) {
    createCourse(input: $input) { id }
  }
`);

export const UpdateCourseMutation = graphql(`
  mutation UpdateCourse($input: UpdateCourseInput!) {
    updateCourse(input: $input) { id version }
  }
`);

export const AddCourseSessionMutation = graphql(`
  mutation AddCourseSession($input: AddCourseSessionInput!) {
    addCourseSession(input: $input) { id }
  }
`);

export const UpdateCourseSessionMutation = graphql(`
  mutation UpdateCourseSession($input: UpdateCourseSessionInput!) {
    updateCourseSession(input: $input) { id version }
  }
`);

export const CancelCourseSessionMutation = graphql(`
  mutation CancelCourseSession($input: CancelCourseSessionInput!) {
    cancelCourseSession(input: $input) { id version cancelled }
  }
`);

export const CourseSessionsQuery = graphql(`
  query CourseSessions($from: NaiveDate!, $to: NaiveDate!) {
    courseSessions(from: $from, to: $to) {
      id startsAt endsAt place onlineUrl cancelled
      course { id title }
    }
  }
`);

export const EnrolMutation = graphql(`
  mutation Enrol($input: EnrolInput!) {
    enrol(input: $input) { id status waitingPosition }
  }
`);

export const WithdrawEnrolmentMutation = graphql(`
  mutation WithdrawEnrolment($id: ID!) {
    withdrawEnrolment(id: $id) { id status }
  }
`);

export const RecordAttendanceMutation = graphql(`
  mutation RecordAttendance($input: AttendanceSheetInput!) {
    recordAttendance(input: $input) { enrolmentId present recordedAt }
  }
`);

export const IssueCertificateMutation = graphql(`
  mutation IssueCertificate($enrolmentId: ID!) {
    issueCertificate(enrolmentId: $enrolmentId) { id verificationCode verificationPath }
  }
`);

export const CertificatePdfQuery = graphql(`
  query CertificatePdf($id: ID!) {
    certificatePdf(id: $id) { filename contentType contentBase64 }
  }
`);

export const MyTrainingQuery = graphql(`
  query MyTraining {
    myCourses {
      course {
        id kind title audience plannedMinutes trainer minAttendancePercent
        sessions { id startsAt endsAt place onlineUrl held cancelled cancelReason }
      }
      enrolment { id status waitingPosition sessionsHeld sessionsAttended minutesAttended completed certificateId }
    }
    myCertificates { id enrolmentId courseTitle hoursAttended issuedOn verificationCode verificationPath }
    openCourses {
      id kind title plannedMinutes trainer capacity enrolled waiting
      sessions { id startsAt endsAt place onlineUrl cancelled cancelReason }
    }
  }
`);

export const EnrolMeMutation = graphql(`
  mutation EnrolMe($courseId: ID!) {
    enrolMe(courseId: $courseId) { id status waitingPosition }
  }
`);

export const VerifyCertificateQuery = graphql(`
  query VerifyCertificate($code: String!) {
    verifyCertificate(code: $code) { valid participantName courseTitle hours issuedOn issuedBy }
  }
`);
