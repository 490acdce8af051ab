DROP TABLE pre_registrations;
DROP TABLE expansion_links;
DROP TABLE invitations;
