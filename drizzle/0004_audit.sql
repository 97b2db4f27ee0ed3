CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user` text NOT NULL,
	`action` text NOT NULL,
	`detail` text NOT NULL,
	`document_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_document` ON `audit_log` (`document_id`);