-- One database per service (each service also creates its own when absent).
CREATE DATABASE "user";
CREATE DATABASE project;
CREATE DATABASE payment;
CREATE DATABASE messaging;
