/* Flow table internals that the tests reach (not installed). */
#ifndef PKTD_FLOW_INT_H
#define PKTD_FLOW_INT_H

#include <stdint.h>

#include <pktdecode/flow.h>

/* The bucket index of live flow flow_id (to show that tables hash apart). */
uint32_t pktd__flow_table_bucket(const pktd_flow_table *t, uint32_t flow_id);

/* Replaces the table's random hash key (to build colliding keys in a test). */
void pktd__flow_table_set_key(pktd_flow_table *t, uint64_t k0, uint64_t k1);

#endif /* PKTD_FLOW_INT_H */
