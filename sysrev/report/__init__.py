"""Reporting: the PRISMA 2020 flow counts (:mod:`sysrev.report.prisma`) and diagram
(:mod:`sysrev.report.prisma_diagram`)."""
