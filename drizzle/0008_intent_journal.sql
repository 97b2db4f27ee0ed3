CREATE TABLE `intent_journal` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`step` text NOT NULL,
	`user` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `intent_journal_open` ON `intent_journal` (`step`);--> statement-breakpoint
CREATE UNIQUE INDEX `intent_journal_live` ON `intent_journal` (`kind`,`target`) WHERE step not in ('done', 'failed');--> statement-breakpoint
ALTER TABLE `print_jobs` ADD `request_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `print_jobs_request_idx` ON `print_jobs` (`request_id`);--> statement-breakpoint
ALTER TABLE `finalize_journal` ADD `kind` text DEFAULT 'nfe' NOT NULL;--> statement-breakpoint
ALTER TABLE `finalize_journal` ADD `payload` text;