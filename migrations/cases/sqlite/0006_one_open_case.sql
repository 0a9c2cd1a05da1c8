-- A person has at most one open case per tenant. The service checks it under the person's row
-- lock and answers CONFLICT naming the open case; this index is the backstop. A database where
-- some person already has two open cases must have all but one of them closed before this
-- migration can run.
CREATE UNIQUE INDEX cases_one_open_per_person ON cases (tenant_id, person_id)
    WHERE status <> 'closed';
