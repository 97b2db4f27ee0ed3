CREATE TABLE `print_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`printer_name` text NOT NULL,
	`printer_json` text NOT NULL,
	`kind` text NOT NULL,
	`layout` text NOT NULL,
	`document_key` text,
	`title` text NOT NULL,
	`source_xml` text,
	`state` text NOT NULL,
	`reason` text,
	`reason_code` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`pages` integer,
	`bytes_total` integer,
	`bytes_sent` integer DEFAULT 0 NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`reprint_of` integer
);
--> statement-breakpoint
CREATE INDEX `print_jobs_state_idx` ON `print_jobs` (`state`,`id`);--> statement-breakpoint
CREATE INDEX `print_jobs_document_idx` ON `print_jobs` (`document_key`);--> statement-breakpoint
CREATE TABLE `printers` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`config_json` text NOT NULL,
	`dx_tenths_mm` integer DEFAULT 0 NOT NULL,
	`dy_tenths_mm` integer DEFAULT 0 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
