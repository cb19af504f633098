"""Project commands (settings.COMMANDS_MODULE); ``crawl`` here replaces Scrapy's own."""
