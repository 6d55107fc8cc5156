package dev.bbagent.fake.bitbucket;

/** A workspace project; every repository belongs to one. */
record ProjectData(String key, String name, String uuid) {}
