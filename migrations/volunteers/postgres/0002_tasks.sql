-- Reserved: filled in by the change that adds this part of the service.
SELECT 1;
