"""The offline demo catalog: data, drawn photos and the seeding routine."""
