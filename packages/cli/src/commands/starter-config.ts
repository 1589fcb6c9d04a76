// The text `a4c-admin config init` writes: a commented starter admin-tool-config.yml, or the
// seed tool's own file converted (its transport-port addresses moved to the HTTP port).

/** A starter configuration: the keys an operator sets first, each with what it means; the rest has defaults. */
export const STARTER_CONFIG = `# admin-tool-config.yml: the configuration of a4c-admin (written by \`a4c-admin config init\`).
# Every key and its default: docs/configuration.md, or \`a4c-admin config schema\`.
# Check it with \`a4c-admin config validate\`; \`a4c-admin doctor\` then checks the cluster too.

elasticsearch:
  # HTTP addresses of the nodes (the REST port, usually 9200; never the transport port 9300).
  addresses:
    - http://127.0.0.1:9200
  # The cluster's name: a4c-admin refuses a cluster named otherwise (a copied config, a tunnel).
  # cluster_name: alien4cloud
  # Prefix of the A4C index names (A4C's own elasticsearch.prefix), empty by default.
  # index_prefix: ""
  # The fs snapshot repository: location is under the path.repo of every node.
  repository:
    name: a4c-admin
    location: a4c-admin
  # Credentials, when the cluster asks for them (prefer A4C_ADMIN_ES_PASSWORD for the password).
  # auth:
  #   username: a4c-admin

# Where backups are stored: one folder per backup.
backup.files_dir: /opt/alien4cloud/backups/files

# A4C's own configuration files, copied with every backup and put back by a restore.
# backup.config_files:
#   - /opt/alien4cloud/config/alien4cloud-config.yml
#   - /etc/elasticsearch/elasticsearch.yml

# Where Alien4Cloud's files are (its data folder).
alien4cloud.dir: /opt/alien4cloud/data

# Where exports and migration reports are written.
exporter.dir: /opt/alien4cloud/backups/export

# A4C's address: a restore and a migration refuse to run while A4C answers there.
# alien4cloud.url: http://127.0.0.1:8088
`;

/** The seed's transport port in an address (`host:9300`), not followed by another digit. */
const TRANSPORT_PORT = /:9300(?!\d)/g;

/**
 * The seed's admin-tool-config.yml as a4c-admin reads it: the same text and comments, with the
 * transport port 9300 of its `addresses` (a line `addresses: a:9300,b:9300`, or list items
 * under it) changed to the HTTP port 9200. Says how many addresses changed.
 */
export function convertSeedConfig(seed: string, source: string): { text: string; changed: number } {
  let changed = 0;
  let inAddresses = false;
  const lines = seed.split('\n').map((line) => {
    const addressesLine = /^\s*addresses\s*:/.test(line);
    const listItem = /^\s*-\s/.test(line);
    if (addressesLine) inAddresses = true;
    else if (!listItem && !/^\s*(#.*)?$/.test(line)) inAddresses = false;
    if (!(addressesLine || (inAddresses && listItem))) return line;
    return line.replace(TRANSPORT_PORT, () => {
      changed += 1;
      return ':9200';
    });
  });
  const header = `# Converted from ${source} by \`a4c-admin config init --from\`${changed > 0 ? `: the transport port 9300 of ${changed} address${changed === 1 ? '' : 'es'} became the HTTP port 9200` : ''}.\n`;
  return { text: header + lines.join('\n'), changed };
}
