DROP TABLE bills;
DROP TABLE manager_assignments;
DROP TABLE associations;
DROP TABLE customer_contacts;
