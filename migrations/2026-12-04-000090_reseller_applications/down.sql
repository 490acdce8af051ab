DROP TABLE reseller_application_steps;
DROP TABLE reseller_applications;
