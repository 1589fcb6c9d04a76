// The seed tool's admin-tool-config.yml, verbatim with its comments (from its documentation,
// backup_restore_migrate.md): what an operator of A4C 1.x has on disk.
export const SEED_ADMIN_TOOL_CONFIG = `elasticsearch:
# Name of your elasticsearch cluster
  cluster_name: alien4cloud
# Addresses of elasticsearch cluster nodes
  addresses: 129.185.67.37:9300,129.185.67.26:9300

# The poller polls elasticsearch to export data for migration
poller:
# The poller's scroll lease and batch size see https://www.elastic.co/guide/en/elasticsearch/guide/1.x/scan-scroll.html
  scroll:
    lease: 120
    batch_size: 100

# Where migrated elasticsearch data will be exported
exporter.dir: /opt/alien4cloud/backups/export

# Where Alien4Cloud's backup files are stored
backup.files_dir: /opt/alien4cloud/backups/files

# Where Alien4Cloud's files are stored, backup operation will copy data from alien4cloud.dir to backup.files_dir and restore will do inversely
alien4cloud.dir: /opt/alien4cloud/data
`;
